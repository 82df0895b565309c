package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"

	"github.com/cardinalhq/lakerunner-iam/diag"
	"github.com/cardinalhq/lakerunner-iam/importer"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// importOptions are the flags of import.
type importOptions struct {
	env, accountID, region, catalog, prefix, endpoint, out, merge string
}

func (c *CLI) importCommand() *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import --env NAME --account-id ID --region REGION [flags]",
		Short: "Write the spec that adopts the Lakerunner roles an account already has",
		Long: "Reads the account's IAM roles (only reads: iam:List* and iam:Get* are enough) and writes the\n" +
			"environment block that adopts them unchanged: gen --adopt imports every role, inline policy,\n" +
			"managed policy attachment and instance profile, and the first plan changes nothing. Roles are\n" +
			"found by the catalog's names, by --prefix in their name or path, and by tags that name the\n" +
			"prefix or the environment. Credentials come from the AWS SDK's standard chain (environment,\n" +
			"AWS_PROFILE and shared config, SSO, instance roles).\n\n" +
			"The spec goes to stdout, to a new file (-o, never overwritten), or into an existing spec\n" +
			"(--merge: the environment block of the same name is replaced, the rest kept as it is).\n\n" +
			"Exit status: 0 when the spec describes every role found exactly, 2 when it was written but\n" +
			"the adopt plan will change something it cannot describe (listed on stderr and as comments),\n" +
			"1 on a bad command line or when IAM cannot be read.",
		Args: cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			c.code = c.runImport(cmd, o)
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&o.env, "env", "", "Name of the environment to write (required)")
	fs.StringVar(&o.accountID, "account-id", "", "ID of the AWS account the roles are in (required)")
	fs.StringVar(&o.region, "region", "", "AWS region of the environment (required)")
	fs.StringVar(&o.catalog, "catalog", "console-guide", "Role catalog to recognise roles of: console-guide or tiers")
	fs.StringVar(&o.prefix, "prefix", schema.DefaultNamePrefix, "The environment's name_prefix: roles' names start with it")
	fs.StringVar(&o.endpoint, "endpoint", "", "IAM endpoint URL instead of AWS's, e.g. LocalStack's http://localhost:4566")
	fs.StringVarP(&o.out, "out", "o", "", "Write the spec to this new file (refused if it exists) instead of stdout")
	fs.StringVar(&o.merge, "merge", "", "Add the environment to this existing spec, or replace its block of the same name")
	for _, f := range []string{"env", "account-id", "region"} {
		_ = cmd.MarkFlagRequired(f)
	}
	cmd.MarkFlagsMutuallyExclusive("out", "merge")
	_ = cmd.MarkFlagFilename("out", "hcl")
	_ = cmd.MarkFlagFilename("merge", "hcl")
	return cmd
}

func (c *CLI) runImport(cmd *cobra.Command, o importOptions) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(c.Stderr, "lakerunner-iam import: %s\n", diag.Detail(fmt.Sprintf(format, args...)))
		return exitError
	}
	// Refuse before reading the account: nothing to undo.
	if o.out != "" {
		if _, err := os.Lstat(o.out); err == nil {
			return fail("%s exists; import never overwrites a spec. Choose another file, or add the environment to it with --merge %s.", o.out, o.out)
		}
	}
	var mergeSrc []byte
	if o.merge != "" {
		var err error
		if mergeSrc, err = schema.ReadFile(o.merge, schema.MaxSpecBytes); err != nil {
			return fail("%s. --merge takes an existing spec; to start a new one, use -o.", err)
		}
	}
	parser := hclparse.NewParser()
	cat, def, diags := importer.LoadCatalog(o.catalog, parser)
	if diags.HasErrors() {
		c.writeDiags(parser, diags)
		return exitError
	}

	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(o.region))
	if err != nil {
		return fail("loading AWS credentials: %s", err)
	}
	client := iam.NewFromConfig(cfg, func(opts *iam.Options) {
		if o.endpoint != "" {
			opts.BaseEndpoint = aws.String(o.endpoint)
		}
	})
	res, err := importer.Import(ctx, client, importer.Options{Env: o.env, AccountID: o.accountID, Region: o.region, Prefix: o.prefix, Catalog: cat, Def: def})
	if err != nil {
		return fail("%s", err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(c.Stderr, "lakerunner-iam import: %s\n", diag.Detail(w))
	}

	switch {
	case o.merge != "":
		merged, diags := importer.Merge(o.merge, mergeSrc, res)
		if diags.HasErrors() {
			c.writeDiags(nil, diags)
			return exitError
		}
		if err := replaceFile(o.merge, merged); err != nil {
			return fail("%s; %s was not changed.", err, o.merge)
		}
	case o.out != "":
		if err := createFile(o.out, hclwrite.Format(res.File().Bytes())); err != nil {
			return fail("%s", err)
		}
	default:
		_, _ = c.Stdout.Write(hclwrite.Format(res.File().Bytes()))
	}
	fmt.Fprintf(c.Stderr, "lakerunner-iam import: environment %q adopts %d roles; next: lakerunner-iam gen --adopt\n", o.env, len(res.Adopted))
	if len(res.Warnings) > 0 {
		return exitIssues
	}
	return exitOK
}

// createFile writes a new file, refusing one that appeared meanwhile.
func createFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists; import never overwrites a spec", name)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	return f.Close()
}

// replaceFile replaces a file's content at once (a temporary file renamed
// over it), keeping its mode, so a failure leaves the old spec whole.
func replaceFile(name string, data []byte) error {
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".import-*.hcl")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
