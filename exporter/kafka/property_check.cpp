#include "kafka/property_check.h"

#include "kafka/internal/conf.h"
#include "kafka/internal/handles.h"

namespace lagwatch::kafka {

std::optional<PropertyProblem> check_properties(const std::vector<Property>& properties) {
  const detail::ConfPtr conf(rd_kafka_conf_new());
  for (std::size_t i = 0; i < properties.size(); ++i) {
    const Property& property = properties[i];
    if (auto error =
            detail::set_property(conf.get(), property.name, property.value, property.secret);
        !error) {
      return PropertyProblem{i, error.error()};
    }
  }
  return std::nullopt;
}

}  // namespace lagwatch::kafka
