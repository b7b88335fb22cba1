// Package testdata holds the demo library, its datasets and its evaluation
// suites, embedded so
// that `promptbench init --demo` and the tests load the same bytes.
//
// demo/library.yaml is generated: edit the demo in
// workspace/export_demo_test.go and run
//
//	go test ./workspace -run TestDemo -update
package testdata

import "embed"

// DemoLibrary is the demo library as a promptbench/v1 export file.
//
//go:embed demo/library.yaml
var DemoLibrary []byte

// DemoDatasets holds the demo datasets under datasets/.
//
//go:embed demo/datasets
var DemoDatasets embed.FS

// DemoEvals holds the demo's evaluation suites under evals/.
//
//go:embed demo/evals
var DemoEvals embed.FS
