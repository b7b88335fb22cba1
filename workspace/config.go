package workspace

// Config is a workspace's config.yaml, merged over the user's
// $XDG_CONFIG_HOME/promptbench/config.yaml (the workspace wins).
type Config struct {
	Providers  []ProviderConfig `yaml:"providers,omitempty"`
	Taxonomy   Taxonomy         `yaml:"taxonomy,omitempty"`
	ExportFile string           `yaml:"export_file,omitempty"`
}

// ProviderConfig describes one model provider. Models of a provider are
// written "<name>/<model>". APIKeyEnv holds the NAME of an environment
// variable: keys themselves are never written anywhere.
type ProviderConfig struct {
	Name        string            `yaml:"name"`
	Kind        string            `yaml:"kind"` // openai | azure | echo
	BaseURL     string            `yaml:"base_url,omitempty"`
	APIKeyEnv   string            `yaml:"api_key_env,omitempty"`
	APIVersion  string            `yaml:"api_version,omitempty"` // azure only
	Headers     map[string]string `yaml:"headers,omitempty"`
	Concurrency int               `yaml:"concurrency,omitempty"`
	RPM         int               `yaml:"rpm,omitempty"` // requests per minute; 0 = unlimited
	Timeout     string            `yaml:"timeout,omitempty"`
	Prices      map[string]Price  `yaml:"prices,omitempty"` // by model name, without the provider prefix
}

// Price is USD per million tokens.
type Price struct {
	Input  float64 `yaml:"input"`
	Output float64 `yaml:"output"`
}

// Taxonomy declares the facets and their allowed values. Tags outside it
// are warned about, or refused when Strict.
type Taxonomy struct {
	Strict bool                `yaml:"strict,omitempty"`
	Facets map[string][]string `yaml:"facets,omitempty"`
}
