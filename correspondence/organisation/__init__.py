"""The office itself: its forces and addresses, who holds which role, its users and what each may do, its reference schemes and standard lines."""
