package workspace

import "promptbench/workspace/exportfile"

// MaxImportSize is the largest import file, in bytes.
const MaxImportSize = exportfile.MaxSize

// ImportLimits bound what an import file, which may come from anywhere, can
// make an import hold or do (exportfile.Limits).
type ImportLimits = exportfile.Limits

// DefaultImportLimits are the limits Import applies unless told otherwise.
func DefaultImportLimits() ImportLimits { return exportfile.DefaultLimits() }

// SizeText says a size the way the limits are written: in MB when it is
// whole megabytes, else in bytes.
func SizeText(n int64) string { return exportfile.SizeText(n) }
