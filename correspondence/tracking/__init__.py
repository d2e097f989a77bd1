"""What HMICFRS found and what is done about it: inspections and their findings, the force's updates, the office's answers, oversight meetings and their actions, and who owns each."""
