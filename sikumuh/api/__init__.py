"""The REST API (`/api/v1/`): the web's scopes and roles, the CLI's figures, JSON errors."""
