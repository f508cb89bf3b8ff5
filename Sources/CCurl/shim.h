// Inline wrappers around libcurl's variadic functions, which Swift cannot call.
#ifndef TIEDOTIN_CCURL_SHIM_H
#define TIEDOTIN_CCURL_SHIM_H

#include <curl/curl.h>
#include <stddef.h>

typedef size_t (*tiedotin_curl_io_callback)(char *buffer, size_t size, size_t count, void *context);

typedef int (*tiedotin_curl_xferinfo_callback)(void *context, curl_off_t download_total, curl_off_t downloaded,
                                               curl_off_t upload_total, curl_off_t uploaded);

typedef int (*tiedotin_curl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *context);

typedef int (*tiedotin_curl_prereq_callback)(void *context, char *primary_ip, char *local_ip, int primary_port, int local_port);

static inline CURLcode tiedotin_curl_set_prereq_callback(CURL *handle, tiedotin_curl_prereq_callback value) {
    return curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, value);
}

static inline CURLcode tiedotin_curl_set_debug_callback(CURL *handle, tiedotin_curl_debug_callback value) {
    return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, value);
}

static inline CURLcode tiedotin_curl_set_xferinfo_callback(CURL *handle, tiedotin_curl_xferinfo_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

static inline CURLcode tiedotin_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tiedotin_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tiedotin_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tiedotin_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tiedotin_curl_set_io_callback(CURL *handle, CURLoption option, tiedotin_curl_io_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tiedotin_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode tiedotin_curl_get_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
