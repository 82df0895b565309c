# Syntax the built-in templates do not hold (yet), for TestShapes: the
# generator must rebuild each as hclsyntax.ParseConfig parses it.
role "shapes" {
  splat      = var.list[*].name
  full_splat = var.map.*.name
  index      = var.list[0].arns["x"]
  legacy     = var.list.0
  non_ascii  = "é → ü"
  after      = "é" == var.name
  numbers    = [1, 1.5, -2, 1e3, 0.000001]
  ops        = !(1 + 2 * 3 / 4 % 5 - 6 > 7 || 8 >= 9 && 10 < 11 || 12 <= 13 == (14 != 15))
  literals   = [null, true, false]
  ternary    = var.on ? "yes" : "no"
  object     = { a = 1, "b c" = 2, (var.key) = 3, d : 4 }
  for_list   = [for i, v in var.list : "${i}=${v}" if v != ""]
  for_object = { for k, v in var.map : k => v... }
  call       = concat(var.a, var.b...)
  parens     = (var.a)
  template   = "%{if var.on}on%{else}off%{endif} %{for x in var.list}${x},%{endfor}"
  strip      = "${~var.a~}"
  heredoc    = <<-EOT
    line ${var.a}
      indented %{if true}yes%{endif}
    EOT
  raw        = <<EOT
raw $${not} %%{not}
EOT

  nested "one" "two" {
    empty {}
    value = var.x.y[var.z]
  }
}
