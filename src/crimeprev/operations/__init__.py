"""Operations: the ledger of weeks of action and their evaluation."""
