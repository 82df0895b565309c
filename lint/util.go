package lint

import (
	"fmt"
	"strings"
)

// service is the service prefix of an action ("s3" of "s3:GetObject").
func service(action string) string {
	svc, _, _ := strings.Cut(action, ":")
	return strings.ToLower(svc)
}

// english joins items as "a", "a and b", "a, b and c".
func english(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// abbreviate lists at most max items, then "and N more".
func abbreviate(items []string, max int) string {
	if len(items) <= max {
		return english(items)
	}
	return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more", len(items)-max)
}

func quoted(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
