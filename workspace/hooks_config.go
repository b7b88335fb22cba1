package workspace

// HookConfig is a command config.yaml runs after changes (hooks.go).
type HookConfig struct {
	Command string   `yaml:"command"`
	Events  []string `yaml:"events,omitempty"`
	Timeout string   `yaml:"timeout,omitempty"`
}
