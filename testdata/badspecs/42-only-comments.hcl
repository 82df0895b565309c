# lakerunner.hcl: environments still to be added.
terraform {
  required_version = ">= 1.5.0"
}
