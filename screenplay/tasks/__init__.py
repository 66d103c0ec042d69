"""What the applicant does, as small objects grouped by journey stage: each `perform_as(actor)` goes through the
actor's abilities, in the order a person would (the usability recorder counts that order)."""
