"""Rules that grade by a property, where more than one answer is right: plain Python over lists.

Each is a factory registered with rules.rule; its arguments are the data the property needs,
computed by convlib or PyTorch in the exercise's chapter module and passed in as lists.
"""
