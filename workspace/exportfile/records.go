package exportfile

// Schema is the format name and version export files start with.
const Schema = "promptbench/v1"

// The records of an export file as it writes them: field names here are
// the format. Import validates them against the library; served trusts
// them only as far as it must to render (a file export wrote).

// Prompt is one item of the file's prompts list.
type Prompt struct {
	Name        string           `yaml:"name"`
	Description string           `yaml:"description"`
	Created     string           `yaml:"created"`
	Tags        []string         `yaml:"tags"`
	Labels      map[string]Label `yaml:"labels"`
	Versions    []Version        `yaml:"versions"`
}

// Label is where a label points and how it got there, oldest move first;
// version numbers are the file's.
type Label struct {
	Version int    `yaml:"version"`
	History []Move `yaml:"history"`
}

// Move is one recorded move of a label.
type Move struct {
	Version int    `yaml:"version"`
	Author  string `yaml:"author"`
	Time    string `yaml:"time"`
}

// Version is one version of a prompt as the file writes it.
type Version struct {
	Number          int    `yaml:"number"`
	Hash            string `yaml:"hash"`
	Parent          int    `yaml:"parent"`
	Author          string `yaml:"author"`
	Time            string `yaml:"time"`
	Message         string `yaml:"message"`
	ModelConfigYAML `yaml:",inline"`
	Scorers         []string  `yaml:"scorers"`
	Messages        []Message `yaml:"messages"`
}
