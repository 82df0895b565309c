// Package managed holds the content of the AWS managed policies that the
// role catalog attaches, as AWS publishes them (the policy's default
// version, in IAM's JSON), so that the policies a spec implies can be
// evaluated offline. An AWS managed policy changes only when AWS publishes
// a new version; Version records the one this content is.
package managed

import (
	"embed"
	"fmt"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

//go:embed json/*.json
var files embed.FS

// Policy is one AWS managed policy.
type Policy struct {
	Name    string // e.g. AmazonECSTaskExecutionRolePolicy
	Path    string // its IAM path without the leading "/": "service-role/" or ""
	Version string // the default version this content is, e.g. "v1"
	// Document is the policy, with its ARNs in the partition it was
	// looked up in.
	Document policy.Document
}

// known lists the managed policies whose content is shipped, by path and
// name, with the default version AWS published (the AWS Managed Policy
// reference, read 2026-12).
var known = map[string]string{
	"service-role/AmazonECSTaskExecutionRolePolicy":    "v1",
	"service-role/AWSLambdaBasicExecutionRole":         "v1",
	"service-role/AmazonEC2ContainerServiceforEC2Role": "v10",
	"AmazonSSMManagedInstanceCore":                     "v2",
}

// Lookup returns an AWS managed policy by ARN, in any partition, and
// whether its content is known.
func Lookup(arn string) (Policy, bool) {
	// arn:<partition>:iam::aws:policy/<path><name>
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[3] != "" || parts[4] != "aws" || !strings.HasPrefix(parts[5], "policy/") {
		return Policy{}, false
	}
	key := strings.TrimPrefix(parts[5], "policy/")
	version, ok := known[key]
	if !ok {
		return Policy{}, false
	}
	name := key[strings.LastIndex(key, "/")+1:]
	data, err := files.ReadFile("json/" + name + ".json")
	if err != nil {
		panic(err) // embedded, and tested for every known policy
	}
	doc, err := policy.Parse(data)
	if err != nil {
		panic(fmt.Sprintf("managed policy %s: %s", name, err))
	}
	// AWS publishes each partition's copy with that partition's ARNs.
	for i := range doc.Statements {
		st := &doc.Statements[i]
		for _, list := range [][]string{st.Resources, st.NotResources} {
			for j, r := range list {
				if rest, ok := strings.CutPrefix(r, "arn:aws:"); ok {
					list[j] = "arn:" + parts[1] + ":" + rest
				}
			}
		}
	}
	return Policy{Name: name, Path: strings.TrimSuffix(key, name), Version: version, Document: doc}, true
}
