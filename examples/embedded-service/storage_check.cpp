#include "storage_check.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

StorageCheck::StorageCheck(std::string directory) : m_directory(std::move(directory)) {}

healthdeck::CheckOutcome StorageCheck::run(const healthdeck::CheckContext&) {
  const std::string path = m_directory + "/.storage-check";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return {healthdeck::Status::Down,
            "cannot create a file in the data folder: " + std::string(std::strerror(errno))};
  const bool written = ::write(fd, "ok\n", 3) == 3 && ::fsync(fd) == 0;
  const int writeErrno = errno;
  ::close(fd);
  ::unlink(path.c_str());
  if (!written)
    return {healthdeck::Status::Down,
            "cannot write to the data folder: " + std::string(std::strerror(writeErrno))};
  return {healthdeck::Status::Up, "data folder writable"};
}
