package policy

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	d, err := Parse([]byte(`{
	  "Version": "2012-10-17",
	  "Statement": {
	    "Sid": "Trust", "Effect": "Allow", "Action": "sts:AssumeRole",
	    "Principal": {"Service": "ecs-tasks.amazonaws.com", "AWS": ["123456789012"]},
	    "Condition": {"StringEquals": {"aws:SourceAccount": 123456789012, "sts:ExternalId": ["a", "b"]}, "Bool": {"aws:MultiFactorAuthPresent": true}}
	  }
	}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Document{Statements: []Statement{{
		Sid: "Trust", Effect: "Allow", Actions: []string{"sts:AssumeRole"},
		Principals: []Principal{{Type: "AWS", Identifiers: []string{"123456789012"}}, {Type: "Service", Identifiers: []string{"ecs-tasks.amazonaws.com"}}},
		Conditions: []Condition{
			{Test: "Bool", Variable: "aws:MultiFactorAuthPresent", Values: []string{"true"}},
			{Test: "StringEquals", Variable: "aws:SourceAccount", Values: []string{"123456789012"}},
			{Test: "StringEquals", Variable: "sts:ExternalId", Values: []string{"a", "b"}},
		},
	}}}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("got %+v\nwant %+v", d, want)
	}
	// What is written renders back to the same document.
	back, err := Parse(d.JSON())
	if err != nil || !reflect.DeepEqual(back, d) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	star, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","NotAction":"s3:*","NotResource":"*"}]}`))
	if err != nil || !reflect.DeepEqual(star.Statements[0].Principals, []Principal{{Type: "*", Identifiers: []string{"*"}}}) {
		t.Errorf("principal *: %+v, %v", star, err)
	}
}

func TestParseRefuses(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`{"Version":"2008-10-17","Statement":[]}`, "Version"},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:*"}]}`, "neither Allow nor Deny"},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}`, "exactly one of Action and NotAction"},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"*"}]}`, "both Resource and NotResource"},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotPrincipal":{"AWS":"1"}}]}`, "NotPrincipal"},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Principal":"someone"}]}`, "Principal"},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{"a":1}}]}`, "string or a list"},
	} {
		if _, err := Parse([]byte(c.json)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.json, err, c.want)
		}
	}
}
