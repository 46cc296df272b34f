"""Operating the service: backups (``flask --app cluster backup``) and gunicorn's access log."""
