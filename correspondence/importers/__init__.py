"""Reading what an office already has: HMICFRS reports and letters, as text, into their facts
(each with the line it came from), and storing what was read as an inspection or a register entry."""
