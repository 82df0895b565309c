package pipeline

import (
	"github.com/cardinalhq/lakerunner-iam/kecs"
	"github.com/cardinalhq/lakerunner-iam/moddocs"
)

// The renderers of this repository's packages, registered here rather
// than from their own init so that every user of the pipeline (the CLI,
// golden and end-to-end tests) renders the same files: a package that
// registered itself would have to be imported by each of them.
func init() {
	Register(kecs.Render)    // <env>/kecs/ of environments with a kecs block
	Register(moddocs.Render) // module READMEs and tests, environment READMEs
}
