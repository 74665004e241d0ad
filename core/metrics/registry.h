#pragma once
// CONTRACT STUB written before the metrics work started; the metrics owner replaces this
// file with the real Registry, keeping at least these members:
//
//   class healthdeck::metrics::Registry {
//     explicit Registry(std::string ns = {});                // namespace prefix for standard families
//     void appendText(std::string& out) const;               // whole exposition, text format 0.0.4
//     void addCollectable(std::shared_ptr<prometheus::Collectable>); // foreign collectables (slow path)
//     const std::string& ns() const;
//   };
#include <memory>
#include <string>

namespace prometheus { class Collectable; }

namespace healthdeck::metrics {
class Registry;
}
