"""What the applicant checks, as small objects grouped by journey stage: a check's `verified_by(actor)` accepts
exactly one outcome and names what it saw instead; a question's `answered_by(actor)` returns what she sees."""
