"""What a site is: site.yml, package.yml and overview.yml, each checked like the data."""
