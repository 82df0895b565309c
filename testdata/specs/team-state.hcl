# Team state: each environment's root keeps its Terraform state in S3, so
# everyone who applies it shares one state and one lock. production locks
# with an S3 lock file (Terraform >= 1.10, raised from the pin below in its
# root's versions.tf), staging with a DynamoDB table.
terraform {
  required_version = ">= 1.5.0, < 2.0.0"
}

environment "production" {
  account_id = "777777777777"
  region     = "us-west-2"

  # key defaults to lakerunner-iam/<environment>/terraform.tfstate, region
  # to the environment's, encrypt and use_lockfile to true.
  backend {
    bucket = "acme-tfstate-777777777777"
  }
}

environment "staging" {
  account_id = "888888888888"
  region     = "us-west-2"

  backend {
    bucket         = "acme-tfstate-888888888888"
    key            = "iam/staging.tfstate"
    region         = "us-east-1"
    dynamodb_table = "acme-terraform-locks"
  }
}
