"""ras-e2e: end-to-end harness for the 在留申請オンラインシステム registration journey."""

__version__ = "0.1.0"
