# CloudWatch metric streams of a satellite account (metric_streams = true):
# the stream puts records into a Firehose delivery stream, which delivers
# them under the raw prefix of the satellite's bucket. CardinalHQ:
# FirehoseDeliveryRole and MetricStreamRole of the satellite stack.
role "firehose-delivery" {
  summary     = "Role Kinesis Data Firehose assumes to deliver a satellite's CloudWatch metric stream under the raw prefix of its bucket."
  name        = "${env.name_prefix}-firehose-delivery-role"
  description = "Allows Firehose to deliver CloudWatch metrics to the raw bucket"
  enabled     = env.satellite != null ? env.satellite.metric_streams : false
  tags = {
    Component = "Satellite"
    Type      = "FirehoseDeliveryRole"
  }

  input "s3_buckets" {
    type        = list(string)
    description = "The satellite's raw bucket, by name or ARN."
    value       = env.resources.s3_buckets
  }

  input "raw_prefix" {
    type        = string
    description = "The key prefix Firehose delivers under."
    value       = env.resources.raw_prefix
  }

  # Firehose documents sts:ExternalId = the account as its confused-deputy
  # condition.
  accept "LR010" {
    reason = "Firehose's documented confused-deputy protection is sts:ExternalId = the account ID, which the trust requires."
  }

  trust {
    statement {
      sid     = "Firehose"
      actions = ["sts:AssumeRole"]
      principals {
        type        = "Service"
        identifiers = ["firehose.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [var.account_id]
      }
    }
  }

  policy {
    name = "${env.name_prefix}-firehose-delivery"

    statement {
      sid       = "DeliveryBucket"
      actions   = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"]
      resources = [for b in var.s3_buckets : startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"]
    }

    statement {
      sid       = "DeliveryObjects"
      actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
      resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/${var.raw_prefix}*"]
    }
  }

  expect "deliver" {
    effect    = "allow"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/${var.raw_prefix}metrics/batch-0"]
  }

  expect "no-read-delete" {
    effect    = "deny"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/${var.raw_prefix}metrics/batch-0"]
  }

  expect "no-write-outside-raw" {
    effect    = "deny"
    actions   = ["s3:PutObject"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/db/part-0.parquet"]
  }
}

role "metric-stream" {
  summary     = "Role CloudWatch metric streams of a satellite account assume to put records into the satellite's Firehose delivery stream."
  name        = "${env.name_prefix}-metric-stream-role"
  description = "Allows CloudWatch metric streams to write to the Lakerunner delivery stream"
  enabled     = env.satellite != null ? env.satellite.metric_streams : false
  tags = {
    Component = "Satellite"
    Type      = "MetricStreamRole"
  }

  input "delivery_stream" {
    type        = string
    description = "Name of the Firehose delivery stream the metric stream writes to."
    value       = "${env.name_prefix}-metric-stream"
  }

  trust {
    service    = "streams.metrics.cloudwatch.amazonaws.com"
    source_arn = "arn:${var.partition}:cloudwatch:${var.region}:${var.account_id}:metric-stream/*"
  }

  policy {
    name = "${env.name_prefix}-metric-stream"

    statement {
      sid       = "PutRecords"
      actions   = ["firehose:PutRecord", "firehose:PutRecordBatch"]
      resources = ["arn:${var.partition}:firehose:${var.region}:${var.account_id}:deliverystream/${var.delivery_stream}"]
    }
  }

  expect "put-records" {
    effect    = "allow"
    actions   = ["firehose:PutRecord", "firehose:PutRecordBatch"]
    resources = ["arn:${var.partition}:firehose:${var.region}:${var.account_id}:deliverystream/${var.delivery_stream}"]
  }

  expect "no-stream-admin" {
    effect    = "deny"
    actions   = ["firehose:DeleteDeliveryStream", "firehose:UpdateDestination"]
    resources = ["arn:${var.partition}:firehose:${var.region}:${var.account_id}:deliverystream/${var.delivery_stream}"]
  }
}
