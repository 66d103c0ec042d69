"""Tests of how the simulated stack is put together (wiring/: the card slot, reference times, the portal with trust)."""
