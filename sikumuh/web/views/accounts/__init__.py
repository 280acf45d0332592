"""Accounts in the application: one's own account, signing in with a second factor, password
resets and invitations, and the administrators' management of users in their regions."""
