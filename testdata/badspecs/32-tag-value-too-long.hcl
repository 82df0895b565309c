environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  tags = {
    Team  = "platform"
    Notes = "Owned by the observability platform team; page them for IAM changes. Owned by the observability platform team; page them for IAM changes. Owned by the observability platform team; page them for IAM changes. Owned by the observability platform team; page them for IAM changes. "
  }
}
