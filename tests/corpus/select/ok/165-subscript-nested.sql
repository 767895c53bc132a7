SELECT matrix[1][2], nested_map['a']['b'], splitByChar('/', path)[2] AS section FROM docs
