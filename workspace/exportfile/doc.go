// Package exportfile is the export file format (promptbench/v1) without
// the store: the records a file holds (prompts, labels, versions,
// experiments), the content a version is made of (messages and model
// config), the limits an untrusted file is read under, and the readers of
// one piece of a file — the fast reader of export's own layout and the
// guarded general YAML reader behind it. Import (package exchange) and the
// package applications load export files with (package served) both read
// through it, so the two can never disagree about a file. It imports
// neither the store nor any terminal library; the domain package
// (workspace) re-exports its content types under their old names.
package exportfile
