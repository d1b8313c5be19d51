"""Money on the evidence: OCR of screenshots, amounts, and the billing problems they show."""
