package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// env is what every command gets: its streams and arguments.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string // argument synopsis after the name
	run     func(ctx context.Context, e *env, args []string) error
}

// commands lists the subcommands; files add theirs in init.
var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// usageError is an error in how the command was called (exit code 2).
type usageError struct {
	cmd string
	msg string
}

func (u *usageError) Error() string { return u.msg }

func usagef(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// run is the whole program; tests call it like a user would.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "--help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				c.run(ctx, e, []string{"--help"})
				return exitOK
			}
		}
		printUsage(stdout)
		return exitOK
	case "version", "--version":
		fmt.Fprintln(stdout, "wparchive", version)
		return exitOK
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "wparchive: unknown command %q\nTry: wparchive help\n", name)
		return exitUsage
	}
	err := c.run(ctx, e, args[1:])
	if err == nil || errors.Is(err, pflag.ErrHelp) {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "wparchive %s: %s\nTry: wparchive %s --help\n", name, ue.msg, name)
		return exitUsage
	}
	fmt.Fprintf(stderr, "wparchive %s: %s\n", name, err)
	return exitError
}

const version = "0.1.0-dev"

func printUsage(w io.Writer) {
	fmt.Fprint(w, "wparchive moves a WordPress blog into one SQLite archive, and back out.\n\nUsage: wparchive COMMAND [flags] [args]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, "\nRun 'wparchive help COMMAND' for a command's flags. Exit codes: 0 ok, 1 failed, 2 usage.\n")
}

// newFlags returns a flag set for one command with the flags every command
// shares; parse with parseFlags.
func newFlags(c *command, e *env) *pflag.FlagSet {
	fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args; --help prints the command's usage to stdout.
func parseFlags(c *command, e *env, fs *pflag.FlagSet, args []string) error {
	fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			printCommandHelp(c, fs, e.stdout)
			return err
		}
		return usagef(c.name, "%s", err)
	}
	if h, _ := fs.GetBool("help"); h {
		printCommandHelp(c, fs, e.stdout)
		return pflag.ErrHelp
	}
	return nil
}

func printCommandHelp(c *command, fs *pflag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage: wparchive %s %s\n\n%s\n\nFlags:\n", c.name, c.usage, c.summary)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// dbFlag adds the --db flag every archive command takes.
func dbFlag(fs *pflag.FlagSet) *string {
	return fs.String("db", "archive.sqlite", "the archive file")
}

// isTerminal reports whether w is a terminal (progress bars only then).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// plural writes "1 item" / "3 items".
func plural(n int64, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// joinCounts renders a count map as "a 3, b 1", largest first.
func joinCounts[V int | int64](m map[string]V) string {
	type kv struct {
		k string
		v V
	}
	var s []kv
	for k, v := range m {
		s = append(s, kv{k, v})
	}
	sort.Slice(s, func(i, j int) bool {
		if s[i].v != s[j].v {
			return s[i].v > s[j].v
		}
		return s[i].k < s[j].k
	})
	parts := make([]string, len(s))
	for i, x := range s {
		k := x.k
		if k == "" {
			k = "(none)"
		}
		parts[i] = fmt.Sprintf("%s %d", k, x.v)
	}
	return strings.Join(parts, ", ")
}
