package export

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// The flavors of site the export writes (the names archive/markdown uses).
const (
	flavorHugo   = "hugo"
	flavorJekyll = "jekyll"
)

// skeletonFiles holds one folder per flavor with the files of a theme-less
// site; all: keeps the names that start with "_" (_layouts, _default,
// _config.yml) and ".gitignore".
//
//go:embed all:skeleton
var skeletonFiles embed.FS

// SiteInfo is what the skeleton's config says about the site.
type SiteInfo struct {
	Title    string // the blog's title; "" leaves it empty
	BaseURL  string // where the site will live, e.g. https://example.org/blog/; "" means "/"
	Language string // BCP 47 tag of the site, e.g. en-US; "" means "en"
	// TimeZone is the IANA zone Jekyll dates the posts in (its
	// timezone); "" leaves it to the machine that builds. Hugo keeps
	// each date's own offset and needs none.
	TimeZone string
	// TimeZoneMisfits counts the post dates TimeZone gives another UTC
	// offset than WordPress did (the config says so).
	TimeZoneMisfits int
}

// configNames lists, per flavor, the config files the generator reads: when
// any of them (or Hugo's config/ folder) exists the user has a config and
// the skeleton writes none.
var configNames = map[string][]string{
	flavorHugo: {
		"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
		"config.toml", "config.yaml", "config.yml", "config.json", "config",
	},
	flavorJekyll: {"_config.yml", "_config.yaml", "_config.toml"},
}

// configFile is the skeleton's config file, per flavor.
var configFile = map[string]string{
	flavorHugo:   "hugo.yaml",
	flavorJekyll: "_config.yml",
}

// jekyllFolders are the folders starting with "_" that Jekyll gives a
// meaning of its own; any other _name folder holds a custom post type.
var jekyllFolders = map[string]bool{
	"_posts": true, "_drafts": true, "_data": true, "_layouts": true,
	"_includes": true, "_sass": true, "_site": true, "_plugins": true,
}

// WriteSkeleton writes into dir a minimal site with no theme that builds
// the exported tree: the config (title, base URL, language; raw HTML
// rendered; future-dated posts built), layouts for posts, pages and lists,
// a comments partial reading the data file named by the front matter's
// comments_key, and for Jekyll the jekyll-redirect-from plugin that turns
// redirect_from into redirect pages (Hugo writes aliases itself). Old
// addresses with a query string (query_aliases) get a Netlify _redirects
// file and wp-ids.json, which the home page's script reads, built by the
// generator from the pages' front matter.
//
// Only files that do not exist yet are written, so a user's own config and
// layouts are never overwritten; no config is written when dir already
// holds one in any name the generator reads. Nothing is written outside
// dir: a symbolic link in the way that leads out of dir is an error naming
// it, and the files elsewhere are still written. For Jekyll, every
// folder _name already in dir that is not one of Jekyll's own is declared
// as a collection with pages (custom post types), so call WriteSkeleton
// after the content is written. The same arguments and dir give the same
// files.
//
// It returns the paths it wrote, relative to dir with "/" separators, in
// lexical order. flavor is "hugo" (also for "") or "jekyll"; any other is
// an error before anything is written.
func WriteSkeleton(dir, flavor string, site SiteInfo) ([]string, error) {
	if flavor == "" {
		flavor = flavorHugo
	}
	if _, ok := configFile[flavor]; !ok {
		return nil, fmt.Errorf("export: unknown flavor %q (want hugo or jekyll)", flavor)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write skeleton: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("write skeleton: %w", err)
	}
	defer root.Close()

	hasConfig := false
	for _, name := range configNames[flavor] {
		if _, err := root.Lstat(name); err == nil {
			hasConfig = true
			break
		}
	}
	config, err := skeletonConfig(root, flavor, site)
	if err != nil {
		return nil, err
	}

	base := "skeleton/" + flavor
	var names []string
	err = fs.WalkDir(skeletonFiles, base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			names = append(names, strings.TrimPrefix(p, base+"/"))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("write skeleton: %w", err)
	}
	sort.Strings(names)

	var written []string
	var errs []error
	blocked := map[string]bool{} // top folders a link out of dir is in
	for _, name := range names {
		top, _, _ := strings.Cut(name, "/")
		if blocked[top] {
			continue
		}
		var data []byte
		if name == configFile[flavor] {
			if hasConfig {
				continue
			}
			data = config
		} else {
			data, err = skeletonFiles.ReadFile(base + "/" + name)
			if err != nil {
				return written, fmt.Errorf("write skeleton: %w", err)
			}
		}
		ok, err := createFile(root, name, data)
		if err != nil {
			if top != name {
				// The rest of the folder would fail the same way.
				blocked[top] = true
				name = top
			}
			errs = append(errs, fmt.Errorf("write skeleton: %s: %w", filepath.Join(dir, filepath.FromSlash(name)), err))
			continue
		}
		if ok {
			written = append(written, name)
		}
	}
	return written, errors.Join(errs...)
}

// createFile writes name (slash-separated, inside root) with data unless
// something by that name exists; ok reports whether it wrote. The parent
// folders are made as needed. os.Root refuses any path, symbolic links
// followed, that leads out of the root.
func createFile(root *os.Root, name string, data []byte) (ok bool, err error) {
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return false, err
		}
	}
	// O_EXCL: an existing file, folder or symbolic link (even a dangling
	// one) is left alone.
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return false, err
	}
	if err := f.Close(); err != nil {
		return false, err
	}
	return true, nil
}

// skeletonConfig returns the config file of flavor with the site's values
// filled in, each written as a YAML double-quoted string by the encoder.
func skeletonConfig(root *os.Root, flavor string, site SiteInfo) ([]byte, error) {
	tmpl, err := skeletonFiles.ReadFile("skeleton/" + flavor + "/" + configFile[flavor])
	if err != nil {
		return nil, fmt.Errorf("write skeleton: %w", err)
	}
	lang := strings.TrimSpace(site.Language)
	if lang == "" {
		lang = "en"
	}
	var pairs []string
	switch flavor {
	case flavorHugo:
		pairs = []string{"@baseURL@", hugoBaseURL(site.BaseURL), "@title@", site.Title, "@lang@", lang}
	case flavorJekyll:
		u, baseurl := jekyllURL(site.BaseURL)
		pairs = []string{"@url@", u, "@baseurl@", baseurl, "@title@", site.Title, "@lang@", lang}
	}
	for i := 1; i < len(pairs); i += 2 {
		q, err := yamlQuote(pairs[i])
		if err != nil {
			return nil, err
		}
		pairs[i] = q
	}
	if flavor == flavorJekyll {
		tz, err := jekyllTimeZoneLines(site)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, "@timezone@", tz)
	}
	out := strings.NewReplacer(pairs...).Replace(string(tmpl))
	if flavor == flavorJekyll {
		c, err := jekyllCollections(root)
		if err != nil {
			return nil, err
		}
		out += c
	}
	return []byte(out), nil
}

// jekyllTimeZoneLines returns the lines of Jekyll's config that set its
// time zone, with a comment saying why.
func jekyllTimeZoneLines(site SiteInfo) (string, error) {
	const why = "# Jekyll shows dates, and builds the dates of permalinks, in this time zone;\n" +
		"# without it, in the zone of the machine that builds, so that a post written\n" +
		"# late in the evening moves to the next day on some machines.\n"
	if site.TimeZone == "" {
		return why + "# Set the blog's own, e.g.:\n# timezone: Europe/Paris\n", nil
	}
	q, err := yamlQuote(site.TimeZone)
	if err != nil {
		return "", err
	}
	note := "# wparchive chose it from the UTC offsets WordPress dated the posts with: it\n" +
		"# gives every post the date it had (another zone with the same rules would too).\n"
	if site.TimeZoneMisfits > 0 {
		note = fmt.Sprintf("# wparchive chose it from the UTC offsets WordPress dated the posts with, but\n"+
			"# it gives %d of their dates another offset: set the blog's own zone.\n", site.TimeZoneMisfits)
	}
	return why + note + "timezone: " + q + "\n", nil
}

// yamlQuote returns s as a YAML double-quoted scalar on one line (which
// YAML 1.1 parsers such as Jekyll's also read as a string, whatever it
// holds), with characters outside the Basic Multilingual Plane (emoji)
// as they are rather than the \UXXXXXXXX escapes the encoder writes.
func yamlQuote(s string) (string, error) {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Value: strings.ToValidUTF8(s, "\uFFFD")}
	b, err := yaml.Marshal(n)
	if err != nil {
		return "", fmt.Errorf("write skeleton config: %w", err)
	}
	q := strings.TrimSuffix(string(b), "\n")
	var out strings.Builder
	for i := 0; i < len(q); i++ {
		if q[i] != '\\' || i+1 == len(q) {
			out.WriteByte(q[i])
			continue
		}
		if q[i+1] == 'U' && i+10 <= len(q) {
			v, err := strconv.ParseUint(q[i+2:i+10], 16, 32)
			if r := rune(v); err == nil && r >= 0x10000 && r <= unicode.MaxRune && unicode.IsGraphic(r) {
				out.WriteRune(r)
				i += 9
				continue
			}
		}
		// Any other escape, \\ included, is kept whole.
		out.WriteString(q[i : i+2])
		i++
	}
	return out.String(), nil
}

// hugoBaseURL returns the base URL for Hugo's config: "/" when none is
// known, with the trailing slash Hugo expects.
func hugoBaseURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "/"
	}
	if u, err := url.Parse(raw); err == nil && u.RawQuery == "" && u.Fragment == "" && !strings.HasSuffix(u.Path, "/") {
		return raw + "/"
	}
	return raw
}

// jekyllURL splits a base URL into Jekyll's url (scheme and host) and
// baseurl (the path, without the trailing slash).
func jekyllURL(raw string) (site, baseurl string) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return "", ""
	}
	if u.Scheme != "" && u.Host != "" {
		site = u.Scheme + "://" + u.Host
	}
	return site, strings.TrimSuffix(u.EscapedPath(), "/")
}

// jekyllCollections returns the config lines that declare each custom post
// type folder of root (_name, not one of Jekyll's own) as a collection
// whose documents get pages, or "" when there is none.
func jekyllCollections(root *os.Root) (string, error) {
	f, err := root.Open(".")
	if err != nil {
		return "", fmt.Errorf("write skeleton: %w", err)
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return "", fmt.Errorf("write skeleton: %w", err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() && len(n) > 1 && n[0] == '_' && !jekyllFolders[n] {
			names = append(names, n[1:])
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("# Custom post types, one folder _<type> each.\ncollections:\n")
	for _, n := range names {
		q, err := yamlQuote(n)
		if err != nil {
			return "", err
		}
		b.WriteString("  " + q + ":\n    output: true\n")
	}
	return b.String(), nil
}
