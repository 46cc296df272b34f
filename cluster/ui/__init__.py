"""The user-interface kit every domain may use: paging, form fields, template filters, Markdown, charts."""
