# Whether the checkout changed since a stamp file, for scripts that build only after a change (sourced by run.sh).

# changed_since STAMP: true when a file or folder of the checkout (the current folder) is newer than STAMP. Folders
# count: a branch switch that only deletes a file (back from a branch with one more migration) changes nothing but its
# folder's time. Build output, git's own folder, local state, test results and backups are left out.
changed_since() {
  [ -n "$(find . \( -name bin -o -name obj -o -name .git -o -name .data -o -name artifacts -o -name backups -o -name TestResults \) -prune \
            -o -newer "$1" -print -quit)" ]
}
