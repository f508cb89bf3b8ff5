// cmark, the CommonMark reference library (Debian's libcmark-dev), for Swift.
#include <cmark.h>
