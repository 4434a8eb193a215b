# Sourced by the check scripts: has headless Chromium (Debian's `chromium`) screenshot a page.
# render_page PAGE.html SHOT.png LABEL: fails (returns 1) if the screenshot is missing or
# smaller than 20 KB, which is what a blank or broken page gives.
render_page() {
  local page=$1 shot=$2 label=$3 size
  rm -f "$shot"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=1200,1600 --screenshot="$shot" "file://$(realpath "$page")" \
    >/dev/null 2>&1 || true
  size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
  if [ "$size" -lt 20000 ]; then
    echo "chromium did not render $label (screenshot: $size bytes)"
    return 1
  fi
  echo "chromium renders $label: $shot ($size bytes)"
}
