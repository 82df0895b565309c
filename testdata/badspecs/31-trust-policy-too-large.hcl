environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "query-task" {
    trusted_principal_arns = [
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-01",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-02",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-03",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-04",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-05",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-06",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-07",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-08",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-09",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-10",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-11",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-12",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-13",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-14",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-15",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-16",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-17",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-18",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-19",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-20",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-21",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-22",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-23",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-24",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-25",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-26",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-27",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-28",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-29",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-30",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-31",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-32",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-33",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-34",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-35",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-36",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-37",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-38",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-39",
      "arn:aws:iam::210987654321:role/analytics/lakerunner-query-reader-40",
    ]
  }
}
