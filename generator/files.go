package generator

import "github.com/cardinalhq/lakerunner-iam/outtree"

// File is one generated file; the output tree (package outtree) owns the
// type, its headers and how files are written.
type File = outtree.File
