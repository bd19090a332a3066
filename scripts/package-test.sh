#!/usr/bin/env bash
# Package consumer test: proves that the NuGet packages work outside this repository, as an app uses them.
#  1. `dotnet pack` (Release) both libraries into a temporary folder and check what the packages hold (id, version,
#     licence, readme, description, XML docs, symbols, dependencies: TorchSharp's managed package, no native backend).
#  2. A NEW console app (`dotnet new console`) in a temporary folder outside the repository, with the packages from that
#     folder plus one libtorch backend (libtorch-cpu-linux-x64), runs tests/PackageConsumer/Trainer/Program.cs: it writes
#     a folder of images (one subfolder per label), trains, evaluates and saves model.zip and its test scores.
#  3. A second new console app with the packages and NO libtorch backend runs tests/PackageConsumer/Scorer/Program.cs:
#     it loads model.zip, scores the same images and checks it gets the same scores.
# Works offline once the machine's NuGet package folder holds the dependencies (scripts/setup.sh restored them): the
# apps restore from the packed folder plus that package folder, and from nuget.org only when it can be reached.
# The packages are packed with a version of their own (<version>-consumertest.<pid>), removed from NuGet's package
# folder afterwards, so a cached copy of an earlier pack is never used.
# Prints one line per check ("ok: ..." / "FAILED: ...") and then "N passed, N failed". Exits non-zero on a failure.
set -uo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
work="$(mktemp -d "${TMPDIR:-/tmp}/mllinearized-consumer.XXXXXX")"
passed=0
failed=0
version=""

cleanup() {
  rm -rf "$work"
  if [ -n "$version" ]; then
    rm -rf "$packages/mllinearized.transforms/$version" "$packages/mllinearized.trainers/$version"
  fi
}
trap cleanup EXIT

check() { # check <description> <command...>: runs the command, counts and prints the result
  local what="$1"; shift
  if "$@" >"$work/check.log" 2>&1; then
    passed=$((passed + 1)); echo "ok: $what"
  else
    failed=$((failed + 1)); echo "FAILED: $what"; sed 's/^/    /' "$work/check.log" | tail -n 40
  fi
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

base=$(cd "$ROOT_DIR" && dotnet msbuild src/Ml.Transforms/Ml.Transforms.csproj -getProperty:VersionPrefix -nologo 2>/dev/null | tr -d '[:space:]')
if [ -z "$base" ]; then
  echo "FAILED: read the package version from src/Directory.Build.props"; failed=1; finish
fi
suffix="consumertest.$$"
version="$base-$suffix"
feed="$work/feed"

online=0
timeout 5 bash -c '</dev/tcp/api.nuget.org/443' 2>/dev/null && online=1

# 1. Pack. Offline, pack's own restore reads the machine's package folder (as scripts/setup.sh does), not nuget.org.
pack_restore=()
[ "$online" -eq 1 ] || pack_restore=(--source "$packages" -p:NuGetAudit=false)
pack() {
  (cd "$ROOT_DIR" && for project in src/Ml.Transforms src/Ml.Trainers; do
    dotnet pack "$project" -c Release -o "$feed" -nologo -v quiet --version-suffix "$suffix" "${pack_restore[@]}" || exit 1
  done)
}
check "dotnet pack -c Release gives both packages ($version)" pack
[ -f "$feed/MlLinearized.Trainers.$version.nupkg" ] || finish

nuspec() { unzip -p "$feed/$1.$version.nupkg" "$1.nuspec"; }
package_holds() { # package_holds <id> <dll name>
  local id="$1" dll="$2" spec files symbols
  # Read first, then grep: with pipefail, `unzip | grep -q` fails when grep stops reading early.
  spec=$(nuspec "$id") && files=$(unzip -l "$feed/$id.$version.nupkg") && symbols=$(unzip -l "$feed/$id.$version.snupkg") || return 1
  grep -q "<id>$id</id>" <<<"$spec" && grep -q "<version>$version</version>" <<<"$spec" \
    && grep -q '<license type="expression">MIT</license>' <<<"$spec" && grep -q '<readme>README.md</readme>' <<<"$spec" \
    && grep -q '<authors>' <<<"$spec" && grep -q '<tags>.*linearized-sampling' <<<"$spec" \
    && grep -Eq '<description>.{80,}</description>' <<<"$spec" \
    && grep -q 'dependency id="TorchSharp"' <<<"$spec" && ! grep -qi 'dependency id="libtorch\|dependency id="TorchSharp-c' <<<"$spec" \
    && grep -q " README.md$" <<<"$files" && grep -q " LICENSE$" <<<"$files" \
    && grep -q "lib/net8.0/$dll.dll$" <<<"$files" && grep -q "lib/net8.0/$dll.xml$" <<<"$files" \
    && grep -q "lib/net8.0/$dll.pdb$" <<<"$symbols"
}
check "MlLinearized.Transforms: id, version, MIT, readme, description, tags, XML docs, symbols, TorchSharp without a native backend" \
  package_holds MlLinearized.Transforms Ml.Transforms
trainers_package_holds() {
  local spec
  package_holds MlLinearized.Trainers Ml.Trainers && spec=$(nuspec MlLinearized.Trainers) \
    && grep -q "dependency id=\"MlLinearized.Transforms\" version=\"$version\"" <<<"$spec"
}
check "MlLinearized.Trainers: the same, and it depends on MlLinearized.Transforms $version" trainers_package_holds

# 2 and 3. New apps outside the repository.
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration><packageSources><clear />'
  echo "  <add key=\"packed\" value=\"$feed\" />"
  [ -d "$packages" ] && echo "  <add key=\"machine\" value=\"$packages\" />"
  [ "$online" -eq 1 ] && echo '  <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />'
  echo '</packageSources></configuration>'
} >"$work/nuget.config"
audit=""
[ "$online" -eq 1 ] || audit="-p:NuGetAudit=false"

new_app() { # new_app <name> <program.cs> [backend]: dotnet new console, the packages, the program; builds it
  local name="$1" program="$2" backend="${3:-}" dir="$work/$1"
  (cd "$work" && dotnet new console -n "$name" -o "$dir" --no-update-check >/dev/null) || return 1
  (cd "$dir" && dotnet add package MlLinearized.Trainers --version "$version" >/dev/null) || return 1
  if [ -n "$backend" ]; then
    (cd "$dir" && dotnet add package "$backend" --version 2.10.0 >/dev/null) || return 1
  fi
  cp "$program" "$dir/Program.cs"
  (cd "$dir" && dotnet build -c Release -nologo -v quiet $audit) || return 1
}
check "a new console app with MlLinearized.Trainers and libtorch-cpu-linux-x64 builds outside the repository" \
  new_app Trainer "$ROOT_DIR/tests/PackageConsumer/Trainer/Program.cs" libtorch-cpu-linux-x64
train() { (cd "$work/Trainer" && dotnet run -c Release --no-build -- "$work") && test -s "$work/model.zip"; }
score() { (cd "$work/Scorer" && dotnet run -c Release --no-build -- "$work"); }
check "it trains on a folder of images (3 labels), evaluates (test accuracy ≥ 0.8) and saves model.zip" train
grep -h "^trainer:" "$work/check.log" 2>/dev/null | sed 's/^/    /'
check "a new console app with MlLinearized.Trainers and NO libtorch backend builds" \
  new_app Scorer "$ROOT_DIR/tests/PackageConsumer/Scorer/Program.cs"
check "it loads model.zip and scores the test images without libtorch, with the trainer app's scores (1e-5) and labels" score
grep -h "^scorer:" "$work/check.log" 2>/dev/null | sed 's/^/    /'
finish
