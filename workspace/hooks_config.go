package workspace

// HookConfig is a program config.yaml runs after changes (hooks.go):
// Command is a name on PATH or a path from the folder holding the
// workspace, Args its arguments, Events the kinds it wants (all when
// empty), Timeout its time limit (10s when empty).
type HookConfig struct {
	Command string   `yaml:"command"`
	Args    []string `yaml:"args,omitempty"`
	Events  []string `yaml:"events,omitempty"`
	Timeout string   `yaml:"timeout,omitempty"`
}
