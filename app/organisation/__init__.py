"""The association itself: its identity in every letter, and ministries' postal addresses."""
