// The kiosk's data folder holds what only the kiosk's account may read: the folder is 0700 and
// every file in it 0600 (main() also sets umask 077, so files SQLite or streams create start so).
#pragma once
#include <string>

namespace motcua {

// Creates `dir` (0700) if missing and tightens what an older install left looser: the folder and
// its sub-folders to 0700, every file to 0600 (symbolic links are left alone). Throws
// std::runtime_error naming the path when the folder cannot be made private.
void make_data_dir_private(const std::string& dir);

// Writes `text` to `path` as a new 0600 file beside it, fsyncs it and renames it over `path`,
// then fsyncs the folder: a crash leaves the old file or the new one, never a half.
// Throws std::runtime_error naming the path.
void write_private_file(const std::string& path, const std::string& text);

// The same with the file's mode given (set whatever the umask): for files meant for other
// machines, such as the staff's export onto a USB stick.
void write_file_durably(const std::string& path, const std::string& text, unsigned mode);

}  // namespace motcua
