package exchange

import (
	"promptbench/workspace"
	"promptbench/workspace/exportfile"
)

// Schema is the format name and version export files start with.
const Schema = exportfile.Schema

// ExportOptions selects what Export writes: all prompts, or those named,
// narrowed to those carrying every tag; WithLogs adds log entries and runs.
type ExportOptions struct {
	Prompts  []string
	Tags     []workspace.Tag
	WithLogs bool
	// RedactSecrets writes log entries and runs with each word that looks
	// like an API key replaced by [redacted] instead of refusing them;
	// OnRedact, when set, hears of every field changed.
	RedactSecrets bool
	OnRedact      func(workspace.SecretFinding)
	// Taxonomy, when set, is written instead of config.yaml's: a merge
	// writes the taxonomy the merged files declare.
	Taxonomy *workspace.Taxonomy
	// NoTaxonomy leaves the taxonomy out: the per-prompt files of
	// export --dir carry none (the library file does).
	NoTaxonomy bool
}

// fileDoc is the export file: one YAML document. The same types read it
// back (import), so the field names here are the format.
type fileDoc struct {
	Schema      string                  `yaml:"schema"`
	Taxonomy    *workspace.Taxonomy     `yaml:"taxonomy"`
	Prompts     []exportPrompt          `yaml:"prompts"`
	Experiments []exportfile.Experiment `yaml:"experiments"`
	Logs        []fileLog               `yaml:"logs"`
	Runs        []fileRun               `yaml:"runs"`
	Audit       []fileAudit             `yaml:"audit"`
}

// The records of a prompt are exportfile's, which served reads too.
type (
	exportPrompt = exportfile.Prompt
	fileLabel    = exportfile.Label
	fileMove     = exportfile.Move
	fileVersion  = exportfile.Version
)

// fileLog is one log entry as stored (JSON turned into YAML); logs have no
// domain type yet, so the entry is carried as it is.
type fileLog struct {
	Prompt  string `yaml:"prompt"`
	Version int    `yaml:"version"`
	ID      string `yaml:"id"`
	Entry   any    `yaml:"entry"`
	line    int    // import: the entry's first line in the file; 0 unknown
}

type fileRun struct {
	ID    string `yaml:"id"`
	Entry any    `yaml:"entry"`
}
