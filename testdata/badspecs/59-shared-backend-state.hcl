# Two environments in one state object: applying one destroys the
# other's roles.
environment "staging" {
  account_id = "123456789012"
  region     = "us-east-1"
  name_prefix = "staging"

  backend {
    bucket = "acme-terraform-state"
    key    = "iam/terraform.tfstate"
  }
}

environment "production" {
  account_id = "210987654321"
  region     = "us-east-1"

  backend {
    bucket = "acme-terraform-state"
    key    = "iam/terraform.tfstate"
  }
}
