package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"
)

// Config is a workspace's config.yaml, merged over the user's
// $XDG_CONFIG_HOME/promptbench/config.yaml (the workspace wins).
type Config struct {
	Providers  []ProviderConfig `yaml:"providers,omitempty"`
	Taxonomy   Taxonomy         `yaml:"taxonomy,omitempty"`
	ExportFile string           `yaml:"export_file,omitempty"`
	// Team rules (team_config.go): read from the workspace's config.yaml
	// only, which the team keeps in git.
	ProtectedLabels []ProtectedLabel `yaml:"protected_labels,omitempty"`
	ProtectedSince  string           `yaml:"protected_since,omitempty"`
	Owners          Owners           `yaml:"owners,omitempty"`
	Hooks           []HookConfig     `yaml:"hooks,omitempty"`
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

// userConfigPath is $XDG_CONFIG_HOME/promptbench/config.yaml (or
// ~/.config/...), or "" when neither is known.
func userConfigPath(getenv func(string) string) string {
	if dir := getenv("XDG_CONFIG_HOME"); dir != "" {
		return filepath.Join(dir, "promptbench", configName)
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".config", "promptbench", configName)
	}
	return ""
}

// LoadConfig reads the workspace's config over the user's: providers merge
// by name, the workspace's taxonomy replaces the user's when it declares
// one. Missing files are fine; malformed ones are errors naming file, line
// and field. It returns warnings for suspicious but valid settings.
func LoadConfig(workspacePath, userPath string) (Config, []string, error) {
	var merged Config
	var warnings []string
	for _, path := range []string{userPath, workspacePath} {
		if path == "" {
			continue
		}
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return Config{}, nil, fmt.Errorf("read config: %w", err)
		}
		cfg, w, err := ParseConfig(path, data)
		if err != nil {
			return Config{}, nil, err
		}
		warnings = append(warnings, w...)
		merged = mergeConfig(merged, cfg, path == workspacePath)
	}
	return merged, warnings, nil
}

// ParseConfig parses one config file strictly: unknown fields are errors.
func ParseConfig(path string, data []byte) (Config, []string, error) {
	var cfg Config
	if err := unmarshalYAML(path, data, &cfg, yaml.DisallowUnknownField()); err != nil {
		return Config{}, nil, err
	}
	var warnings []string
	seen := map[string]bool{}
	for i, p := range cfg.Providers {
		if p.Name == "" {
			return Config{}, nil, Invalidf("%s: providers[%d]: missing name", path, i)
		}
		if seen[p.Name] {
			return Config{}, nil, Invalidf("%s: providers[%d]: provider %q is declared twice", path, i, p.Name)
		}
		seen[p.Name] = true
		if strings.Contains(p.Name, "/") {
			return Config{}, nil, Invalidf("%s: providers[%d]: name %q may not contain /", path, i, p.Name)
		}
		if p.APIKeyEnv != "" && looksLikeSecret(p.APIKeyEnv) {
			return Config{}, nil, Invalidf("%s: providers[%d].api_key_env looks like a key itself; put the NAME of an environment variable there (e.g. OPENAI_API_KEY) and the key in that variable", path, i)
		}
		for h, v := range p.Headers {
			if looksLikeSecret(v) {
				return Config{}, nil, Invalidf("%s: providers[%d].headers.%s holds what looks like a secret; keys come from environment variables only (api_key_env)", path, i, h)
			}
		}
	}
	if err := validateTeam(path, cfg); err != nil {
		return Config{}, nil, err
	}
	for facet, values := range cfg.Taxonomy.Facets {
		if err := validateTagPart(facet, "facet", facet); err != nil {
			return Config{}, nil, fmt.Errorf("%s: taxonomy.facets: %w", path, err)
		}
		for _, v := range values {
			if err := validateTagPart(facet+":"+v, "value", v); err != nil {
				return Config{}, nil, fmt.Errorf("%s: taxonomy.facets.%s: %w", path, facet, err)
			}
		}
	}
	return cfg, warnings, nil
}

func mergeConfig(base, over Config, isWorkspace bool) Config {
	for _, p := range over.Providers {
		replaced := false
		for i := range base.Providers {
			if base.Providers[i].Name == p.Name {
				base.Providers[i], replaced = p, true
			}
		}
		if !replaced {
			base.Providers = append(base.Providers, p)
		}
	}
	if len(over.Taxonomy.Facets) > 0 || over.Taxonomy.Strict {
		base.Taxonomy = over.Taxonomy
	}
	if isWorkspace {
		base.ExportFile = over.ExportFile
		base.ProtectedLabels, base.ProtectedSince, base.Owners, base.Hooks = over.ProtectedLabels, over.ProtectedSince, over.Owners, over.Hooks
	}
	return base
}

// looksLikeSecret catches API keys pasted where a name belongs.
func looksLikeSecret(s string) bool {
	s = strings.TrimPrefix(strings.TrimSpace(s), "Bearer ")
	for _, prefix := range []string{"sk-", "sk_", "xoxb-", "ghp_", "AKIA"} {
		if strings.HasPrefix(s, prefix) && len(s) >= 20 {
			return true
		}
	}
	return false
}

const defaultConfig = `# promptbench workspace configuration.
# Providers: models are written <provider>/<model>, e.g. openai/gpt-4o-mini.
# Built in: openai (OPENAI_API_KEY, OPENAI_BASE_URL), ollama, echo (offline).
# api_key_env holds the NAME of an environment variable; keys never go on disk.
#
# providers:
#   - name: local
#     kind: openai                 # openai | azure | echo
#     base_url: http://127.0.0.1:11434/v1
#     api_key_env: LOCAL_API_KEY
#     concurrency: 16
#     rpm: 600                     # 0 = unlimited
#     prices:                      # USD per million tokens
#       llama3.1: {input: 0, output: 0}

taxonomy:
  strict: false                    # true: tags outside the declared facets are refused
  facets:
    purpose: [support, classification, summarization, extraction, generation, evaluation, humor]
    tone: [formal, friendly, playful, neutral]
    audience: [internal, consumer, enterprise]

# export_file: prompts.yaml        # kept current on every change, for git
`

// ExportPath is the file config.yaml's export_file binds the workspace to,
// relative to the directory holding the workspace (the repository); "" when
// none is set.
func (ws *Workspace) ExportPath() string {
	f := ws.Config.ExportFile
	if f == "" {
		return ""
	}
	if filepath.IsAbs(f) {
		return f
	}
	return filepath.Join(filepath.Dir(ws.Dir), f)
}
