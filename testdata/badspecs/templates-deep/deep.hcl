role "deep" {
  summary = "A role whose name nests too deep."
  name = lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower(lower("x"))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
  description = "d"
  trust { service = "ecs-tasks.amazonaws.com" }
}
