"""The cover letter and the order summary: what is claimed, on which grounds, in which words."""
