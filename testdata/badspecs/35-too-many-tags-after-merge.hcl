# 46 environment tags are fine alone, but the catalog adds Component and
# Type, the generator Environment, and the role block three more.
environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  tags = {
    CostCenter01 = "cc-01"
    CostCenter02 = "cc-02"
    CostCenter03 = "cc-03"
    CostCenter04 = "cc-04"
    CostCenter05 = "cc-05"
    CostCenter06 = "cc-06"
    CostCenter07 = "cc-07"
    CostCenter08 = "cc-08"
    CostCenter09 = "cc-09"
    CostCenter10 = "cc-10"
    CostCenter11 = "cc-11"
    CostCenter12 = "cc-12"
    CostCenter13 = "cc-13"
    CostCenter14 = "cc-14"
    CostCenter15 = "cc-15"
    CostCenter16 = "cc-16"
    CostCenter17 = "cc-17"
    CostCenter18 = "cc-18"
    CostCenter19 = "cc-19"
    CostCenter20 = "cc-20"
    CostCenter21 = "cc-21"
    CostCenter22 = "cc-22"
    CostCenter23 = "cc-23"
    CostCenter24 = "cc-24"
    CostCenter25 = "cc-25"
    CostCenter26 = "cc-26"
    CostCenter27 = "cc-27"
    CostCenter28 = "cc-28"
    CostCenter29 = "cc-29"
    CostCenter30 = "cc-30"
    CostCenter31 = "cc-31"
    CostCenter32 = "cc-32"
    CostCenter33 = "cc-33"
    CostCenter34 = "cc-34"
    CostCenter35 = "cc-35"
    CostCenter36 = "cc-36"
    CostCenter37 = "cc-37"
    CostCenter38 = "cc-38"
    CostCenter39 = "cc-39"
    CostCenter40 = "cc-40"
    CostCenter41 = "cc-41"
    CostCenter42 = "cc-42"
    CostCenter43 = "cc-43"
    CostCenter44 = "cc-44"
    CostCenter45 = "cc-45"
    CostCenter46 = "cc-46"
  }

  role "data-task" {
    tags = {
      Team    = "data"
      Owner   = "platform"
      Service = "ingest"
    }
  }
}
