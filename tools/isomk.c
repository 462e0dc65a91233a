/* isomk: build an ISO 9660 image (mkisofs-compatible options) to stdout. */
#include "config.h"

#include "cli.h"
#include "isotree.h"
#include "xio.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	OPT_HELP = 256,
	OPT_VERSION,
	OPT_ALLOW_LEADING_DOTS,
	OPT_APPID,
	OPT_EXCLUDE_LIST,
	OPT_GRAFT_POINTS,
	OPT_HIDE,
	OPT_HIDE_JOLIET,
	OPT_INPUT_CHARSET,
	OPT_ISO_LEVEL,
	OPT_JOLIET_LONG,
	OPT_MD5,
	OPT_NO_PAD,
	OPT_PAD,
	OPT_PATH_LIST,
	OPT_PRINT_SIZE,
	OPT_PROGRESS,
	OPT_PUBLISHER,
	OPT_QUIET,
	OPT_SYSID,
	OPT_VOLSET,
	OPT_OBSOLETE,
	OPT_OBSOLETE_ARG,
};

/* mkisofs options that mean nothing any more: accepted, with a warning. */
static const struct {
	const char *name;
	const char *why;
} obsolete[] = {
    {"T", "TRANS.TBL files are not made: Rock Ridge and Joliet keep the names"},
    {"translation-table",
     "TRANS.TBL files are not made: Rock Ridge and Joliet keep the names"},
    {"table-name", "TRANS.TBL files are not made"},
    {"cache-inodes", "hard links are always found"},
    {"no-cache-inodes", "hard links are always found"},
    {"U", "untranslated ISO names are not made; use -R or -J for real names"},
    {"no-bak", "backup files are not special; use -m '*~' to leave them out"},
    {"d", "ISO names keep their dots as libisofs makes them"},
    {"hide-rr-moved",
     "the relocation directory is always hidden from Rock Ridge readers"},
    {"nobak", "backup files are not special; use -m '*~' to leave them out"},
    {"gui", "progress goes to stderr on a terminal, or with --progress"},
    {"log-file", "messages go to stderr; redirect it"},
    {"jcharset", "Joliet names are converted from -input-charset"},
    {"output-charset", "Rock Ridge names are stored as given"},
};

static const struct option longopts[] = {
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"allow-leading-dots", no_argument, NULL, OPT_ALLOW_LEADING_DOTS},
    {"appid", required_argument, NULL, 'A'},
    {"exclude", required_argument, NULL, 'm'},
    {"exclude-list", required_argument, NULL, OPT_EXCLUDE_LIST},
    {"follow-links", no_argument, NULL, 'f'},
    {"full-iso9660-filenames", no_argument, NULL, 'l'},
    {"graft-points", no_argument, NULL, OPT_GRAFT_POINTS},
    {"hide", required_argument, NULL, OPT_HIDE},
    {"hide-joliet", required_argument, NULL, OPT_HIDE_JOLIET},
    {"input-charset", required_argument, NULL, OPT_INPUT_CHARSET},
    {"iso-level", required_argument, NULL, OPT_ISO_LEVEL},
    {"joliet", no_argument, NULL, 'J'},
    {"joliet-long", no_argument, NULL, OPT_JOLIET_LONG},
    {"md5", no_argument, NULL, OPT_MD5},
    {"no-pad", no_argument, NULL, OPT_NO_PAD},
    {"omit-version-number", no_argument, NULL, 'N'},
    {"output", required_argument, NULL, 'o'},
    {"pad", no_argument, NULL, OPT_PAD},
    {"path-list", required_argument, NULL, OPT_PATH_LIST},
    {"preparer", required_argument, NULL, 'p'},
    {"print-size", no_argument, NULL, OPT_PRINT_SIZE},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"publisher", required_argument, NULL, OPT_PUBLISHER},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"rational-rock", no_argument, NULL, 'r'},
    {"rock", no_argument, NULL, 'R'},
    {"sysid", required_argument, NULL, OPT_SYSID},
    {"verbose", no_argument, NULL, 'v'},
    {"volid", required_argument, NULL, 'V'},
    {"volset", required_argument, NULL, OPT_VOLSET},
    {"disable-deep-relocation", no_argument, NULL, 'D'},
    {"translation-table", no_argument, NULL, OPT_OBSOLETE},
    {"cache-inodes", no_argument, NULL, OPT_OBSOLETE},
    {"no-cache-inodes", no_argument, NULL, OPT_OBSOLETE},
    {"no-bak", no_argument, NULL, OPT_OBSOLETE},
    {"nobak", no_argument, NULL, OPT_OBSOLETE},
    {"hide-rr-moved", no_argument, NULL, OPT_OBSOLETE},
    {"gui", no_argument, NULL, OPT_OBSOLETE},
    {"table-name", required_argument, NULL, OPT_OBSOLETE_ARG},
    {"log-file", required_argument, NULL, OPT_OBSOLETE_ARG},
    {"jcharset", required_argument, NULL, OPT_OBSOLETE_ARG},
    {"output-charset", required_argument, NULL, OPT_OBSOLETE_ARG},
    {NULL, 0, NULL, 0},
};

static void usage(void)
{
	printf(
	    "Usage: %s [options] pathspec...\n"
	    "Build an ISO 9660 image of files and directories and write "
	    "it to standard output.\n"
	    "\n"
	    "  -o FILE             write the image to FILE instead\n"
	    "  -R, -r              Rock Ridge: names, modes, owners, links "
	    "(-r: sensible modes, owner root)\n"
	    "  -J, -joliet-long    Joliet names for Windows (-joliet-long: "
	    "up to 103 characters)\n"
	    "  -iso-level N        1 (default), 2, 3, or 4 (ISO 9660:1999); "
	    "files of 4 GiB or more use 3\n"
	    "  -l, -L, -N, -D      31-character ISO names, leading dots, "
	    "no ;1 versions, no deep relocation\n"
	    "  -V ID, -A ID, -p ID, -publisher ID, -sysid ID, -volset ID\n"
	    "                      volume, application, preparer, "
	    "publisher, system, volume set ids\n"
	    "  -graft-points       pathspecs may be TARGET=SOURCE ('\\=' for "
	    "a literal '=')\n"
	    "  -path-list FILE     read pathspecs from FILE, one a line "
	    "('-' for stdin)\n"
	    "  -m GLOB, -x PATH    leave out files whose name matches GLOB, "
	    "or the source PATH\n"
	    "  -exclude-list FILE  leave out the globs in FILE, one a line\n"
	    "  -hide GLOB, -hide-joliet GLOB\n"
	    "                      hide matching files from the ISO/Rock "
	    "Ridge or the Joliet tree\n"
	    "  -f                  follow symbolic links\n"
	    "  -input-charset CS   charset of file names (default: the "
	    "locale's, UTF-8 in the C locale)\n"
	    "  -C LAST,NEXT        make a session to be written at NEXT "
	    "(from msinfo)\n"
	    "  -M DEV              import the previous session from an image, "
	    "stdio:PATH or a drive\n"
	    "  -md5                record MD5 checksums of the session and "
	    "of each file\n"
	    "  -pad, -no-pad       add (default) or leave out 300 KiB of "
	    "zeros at the end\n"
	    "  -print-size         print the image size in 2048-byte blocks "
	    "and nothing else\n"
	    "  -v, -quiet          more messages; no progress and no notes\n"
	    "  --progress          show progress even when stderr is not a "
	    "terminal\n"
	    "  --help, --version\n"
	    "\n"
	    "Exit status: 0 success, 1 failure (a file left out or "
	    "incomplete, I/O error),\n"
	    "2 usage, 3 the -M medium is blank or missing.\n",
	    cd_prog);
}

static void obsolete_warning(const char *opt)
{
	while (*opt == '-')
		opt++;
	for (size_t i = 0; i < sizeof obsolete / sizeof obsolete[0]; i++)
		if (!strcmp(obsolete[i].name, opt)) {
			cd_warn("-%s is ignored: %s", opt, obsolete[i].why);
			return;
		}
	cd_warn("-%s is ignored", opt);
}

/* Read lines of a list file into sv; the copies are also put in own, to
 * be freed at the end. */
static void read_list(const char *file, struct cd_strv *sv, struct cd_strv *own,
                      const char *what)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		cd_die(CD_EXIT_USAGE, "cannot open %s '%s': %s", what, file,
		       strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *copy;

		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (n == 0)
			continue;
		copy = strdup(line);
		if (!copy)
			cd_die(CD_EXIT_FAIL, "out of memory");
		cd_strv_push(own, copy);
		cd_strv_push(sv, copy);
	}
	if (ferror(f))
		cd_die(CD_EXIT_FAIL, "cannot read %s '%s': %s", what, file,
		       strerror(errno));
	free(line);
	if (f != stdin)
		fclose(f);
}

/* Ctrl-C or kill while writing an image file: remove the incomplete file
 * (a device or pipe given with -o is never removed) and die of the signal */
static const char *partial;

static void on_signal(int sig)
{
	if (partial)
		unlink(partial);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void remove_on_signal(const char *path)
{
	struct sigaction sa = {.sa_handler = on_signal};

	partial = path;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* The new session must not be written over the -M image it follows (-M X
 * -o X, also through a link, or standard output redirected to X): the
 * sessions X holds would be lost. 1 after a message (exit status 2). */
static int refuse_old_source(struct isotree *t, const struct isotree_opts *o,
                             const struct stat *st, const char *out)
{
	if (!isotree_is_old_source(t, st))
		return 0;
	cd_msg("%s%s is the -M %s itself: writing it would destroy the "
	       "sessions it holds; write the new session to another file, "
	       "or pipe it to cdwrite -multi dev=%s -",
	       out ? "-o " : "", out ? out : "standard output",
	       S_ISREG(st->st_mode) ? "image" : "medium", o->ms_dev);
	cd_raise(CD_EXIT_USAGE);
	return 1;
}

/* Open -o's file. It is truncated only once it is known not to be the -M
 * image. -1 after a message. */
static int open_output(struct isotree *t, const struct isotree_opts *o,
                       const char *out)
{
	struct stat st;
	int fd;

	/* a drive that libburn holds for -M may not open a second time */
	if (stat(out, &st) == 0 && refuse_old_source(t, o, &st, out))
		return -1;
	fd = open(out, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		cd_error("cannot open '%s': %s", out, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		cd_error("cannot open '%s': %s", out, strerror(errno));
		close(fd);
		return -1;
	}
	if (refuse_old_source(t, o, &st, out)) {
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		if (ftruncate(fd, 0) < 0) {
			cd_error("cannot truncate '%s': %s", out,
			         strerror(errno));
			close(fd);
			return -1;
		}
		remove_on_signal(out);
	}
	return fd;
}

static void parse_ms(const char *arg, struct isotree_opts *o)
{
	char *comma = strchr(arg, ',');
	uint64_t a, b;
	char first[32];

	if (!comma || (size_t)(comma - arg) >= sizeof first)
		cd_usage("-C wants LAST_START,NEXT_WRITABLE (as msinfo "
		         "prints), not '%s'",
		         arg);
	memcpy(first, arg, (size_t)(comma - arg));
	first[comma - arg] = '\0';
	if (cd_parse_uint(first, UINT32_MAX, &a) < 0 ||
	    cd_parse_uint(comma + 1, UINT32_MAX, &b) < 0)
		cd_usage("-C wants two block numbers LAST,NEXT, not '%s'", arg);
	if (b < a)
		cd_usage("-C %s: the next session cannot start before the "
		         "last one",
		         arg);
	o->ms = 1;
	o->ms_last = (uint32_t)a;
	o->ms_next = (uint32_t)b;
}

int main(int argc, char **argv)
{
	struct isotree_opts o = {.iso_level = 1, .pad = 1};
	struct cd_strv specs = {0}, lines = {0};
	const char *out = NULL;
	int print_size = 0, quiet = 0, c, status;
	struct isotree *t;
	struct stat st;
	uint64_t bytes;
	int fd = STDOUT_FILENO, li = 0;

	cd_set_prog(argv[0]);
	setlocale(LC_CTYPE, ""); /* the locale's charset for file names */
	xio_init();
	opterr = 0;
	while ((c = getopt_long_only(argc, argv,
	                             ":A:C:DJLM:NRTUV:dfhlm:o:p:rvx:", longopts,
	                             &li)) != -1) {
		switch (c) {
		case 'A':
			o.appid = optarg;
			break;
		case 'C':
			parse_ms(optarg, &o);
			break;
		case 'D':
			o.deep = 1;
			break;
		case 'J':
			o.joliet = 1;
			break;
		case 'L':
		case OPT_ALLOW_LEADING_DOTS:
			o.leading_dots = 1;
			break;
		case 'M':
			o.ms_dev = optarg;
			break;
		case 'N':
			o.omit_version = 1;
			break;
		case 'R':
			o.rock = 1;
			break;
		case 'T':
		case 'U':
		case 'd':
			obsolete_warning((char[]){(char)c, 0});
			break;
		case 'V':
			o.volid = optarg;
			break;
		case 'f':
			o.follow = 1;
			break;
		case 'l':
			o.full_names = 1;
			break;
		case 'm':
			cd_strv_push(&o.exclude_globs, optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 'p':
			o.preparer = optarg;
			break;
		case 'r':
			o.rational = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'x':
			cd_strv_push(&o.exclude_paths, optarg);
			break;
		case 'h':
		case OPT_HELP:
			usage();
			return 0;
		case OPT_VERSION:
			printf("isomk (cdpipe) %s\n", PACKAGE_VERSION);
			return 0;
		case OPT_EXCLUDE_LIST:
			read_list(optarg, &o.exclude_globs, &lines,
			          "exclude list");
			break;
		case OPT_GRAFT_POINTS:
			o.graft_points = 1;
			break;
		case OPT_HIDE:
			cd_strv_push(&o.hide, optarg);
			break;
		case OPT_HIDE_JOLIET:
			cd_strv_push(&o.hide_joliet, optarg);
			break;
		case OPT_INPUT_CHARSET:
			o.input_charset = optarg;
			break;
		case OPT_ISO_LEVEL:
			if (strlen(optarg) != 1 || optarg[0] < '1' ||
			    optarg[0] > '4')
				cd_usage("-iso-level wants 1, 2, 3 or 4, not "
				         "'%s'",
				         optarg);
			o.iso_level = optarg[0] - '0';
			break;
		case OPT_JOLIET_LONG:
			o.joliet = 1;
			o.joliet_long = 1;
			break;
		case OPT_MD5:
			o.md5 = 1;
			break;
		case OPT_NO_PAD:
			o.pad = 0;
			break;
		case OPT_PAD:
			o.pad = 1;
			break;
		case OPT_PATH_LIST:
			read_list(optarg, &specs, &lines, "path list");
			break;
		case OPT_PRINT_SIZE:
			print_size = 1;
			break;
		case OPT_PROGRESS:
			o.progress = PROGRESS_FORCE;
			break;
		case OPT_PUBLISHER:
			o.publisher = optarg;
			break;
		case OPT_QUIET:
			quiet = 1;
			break;
		case OPT_SYSID:
			o.sysid = optarg;
			break;
		case OPT_VOLSET:
			o.volset = optarg;
			break;
		case OPT_OBSOLETE:
		case OPT_OBSOLETE_ARG:
			obsolete_warning(longopts[li].name);
			break;
		default:
			cd_option_error(c, argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++)
		cd_strv_push(&specs, argv[i]);
	if (specs.n == 0)
		cd_usage("no pathspec: name the files and directories to put "
		         "in the image");
	if (o.ms_dev && !o.ms)
		cd_usage("-M %s needs -C LAST,NEXT to say where the new "
		         "session goes: isomk -C $(msinfo dev=%s) -M %s ...",
		         o.ms_dev, o.ms_dev, o.ms_dev);
	if (o.ms && !o.ms_dev)
		cd_warn("-C without -M: the new session will not show the "
		        "files of earlier sessions (right for CD-Extra after "
		        "audio, wrong for adding to a data disc: add -M)");
	if (o.rational)
		o.rock = 1;
	if (quiet) {
		o.quiet = 1;
		o.progress = PROGRESS_OFF;
		o.verbose = 0;
	}

	if (!print_size && !(out && strcmp(out, "-") != 0))
		xio_refuse_tty(STDOUT_FILENO, "an image");
	/* the image must not contain itself (a backup written into the tree
	 * it backs up): remember which file it is, as mkisofs does */
	if (!print_size) {
		if ((out && strcmp(out, "-") != 0)
		        ? stat(out, &st) == 0
		        : fstat(STDOUT_FILENO, &st) == 0) {
			if (S_ISREG(st.st_mode)) {
				o.out_set = 1;
				o.out_dev = st.st_dev;
				o.out_ino = st.st_ino;
			}
		}
	}

	t = isotree_new(&o, &status);
	if (!t) {
		cd_raise(status ? status : CD_EXIT_FAIL);
		fd = -1;
		goto end;
	}
	for (size_t i = 0; i < specs.n; i++)
		isotree_add(t, specs.v[i]);
	/* the output file is made only now: a failure until here leaves
	 * nothing behind */
	if (print_size)
		fd = -1;
	else if (out && strcmp(out, "-") != 0)
		fd = open_output(t, &o, out);
	else if (fstat(STDOUT_FILENO, &st) == 0 &&
	         refuse_old_source(t, &o, &st, NULL))
		fd = -1;

	if (print_size) {
		if (isotree_size(t, &bytes) < 0) {
			cd_error("cannot compute the image size");
		} else {
			printf("%" PRIu64 "\n", bytes / 2048);
			if (fflush(stdout) != 0 || ferror(stdout))
				cd_error("cannot write standard output: %s",
				         strerror(errno));
		}
	} else if (fd >= 0) {
		if (isotree_write(t, fd, &bytes) < 0) {
			/* an incomplete image file is removed; a device or
			 * a pipe named with -o is of course left alone */
			if (fd != STDOUT_FILENO && fstat(fd, &st) == 0 &&
			    S_ISREG(st.st_mode) && unlink(out) == 0)
				cd_msg("'%s' is incomplete: removed", out);
			cd_raise(CD_EXIT_FAIL);
		} else if (o.verbose) {
			cd_msg("%" PRIu64 " blocks written (%" PRIu64 " bytes)",
			       bytes / 2048, bytes);
		}
		if (fd != STDOUT_FILENO && close(fd) < 0)
			cd_error("cannot write '%s': %s", out, strerror(errno));
		partial = NULL;
	}
end:
	isotree_free(t);
	for (size_t i = 0; i < lines.n; i++)
		free((char *)lines.v[i]);
	cd_strv_free(&lines);
	cd_strv_free(&specs);
	cd_strv_free(&o.exclude_globs);
	cd_strv_free(&o.exclude_paths);
	cd_strv_free(&o.hide);
	cd_strv_free(&o.hide_joliet);
	if (fd == STDOUT_FILENO)
		xio_close_stdout();
	return cd_status();
}
