@v1.4.0 @v1.5.0
Feature: The duties caseworkers and auditors check most (version 1.4.0)
  Tribunal orders (SEND Regulations 2014 reg 44(2), read as quoted by secondary sources): after
  an order to assess, the family is told within 2 weeks that the assessment will be made, then a
  decision not to issue a plan comes within 10 weeks or the finalised plan within 14 weeks;
  after an order to make and maintain a plan, the draft within 5 weeks and the final plan within
  11 weeks; an order to amend a plan within 5 weeks, and one changing only the school within 2
  weeks. Every period runs from the day the order was made.

  Moves between authorities (reg 15(5)): the new authority reviews a transferred plan before
  the later of the end of the 12 months beginning with the plan or its last review and the end
  of the 3 months beginning with the transfer (read in secondary sources).

  Exclusions: the head teacher's written notice to the parent by the end of the first day of the
  exclusion (SI 2007/1870 reg 6(2) as substituted); the independent review by the fifteenth
  school day after the application, and the reconsideration within 10 school days after the
  panel's decision is notified (SI 2012/1033 reg 17(1), Sch 1 para 1). School days here are
  weekdays that are not bank holidays.

  Children who cannot attend school because of health needs (Education Act 1996 s19(1) and its
  statutory guidance, the 15 school days read in secondary sources): the local authority should
  arrange suitable education by the fifteenth school day of an unbroken absence.

  Reviews from Year 9 must consider preparing for adulthood (SEND Regulations 2014 reg 20(6),
  21(6)): from 1.4.0 a review that records nothing about it is "not evidenced" and breached.

  Background:
    Given a child born on 14 March 2015

  Rule: appeal.order_assessment_notice, appeal.order_final_plan and appeal.order_no_plan_notice

    Scenario: After an order to assess, the notice and the plan come in time
      Given the Tribunal ordered an assessment on Monday 2 March 2026
      And the family told on 16 March 2026 that the ordered assessment will be made
      And the final EHC plan issued on 8 June 2026
      When the duties are decided on 1 July 2026
      Then the duty "appeal.order_assessment_notice" for the tribunal order is met, due on 16 March 2026
      And the duty was satisfied by the notice that the ordered assessment will be made
      And the duty cites "SEND Regulations 2014 reg 44(2)(b)"
      And the duty "appeal.order_final_plan" for the tribunal order is met, due on 8 June 2026
      And the duty cites "SEND Regulations 2014 reg 44(2)(b)(ii)"
      And no duty "appeal.order_no_plan_notice" applies

    Scenario: A decision not to issue a plan a day after the 10 weeks is late, and no plan is then due
      Given the Tribunal ordered an assessment on 2 March 2026
      And the family told on 17 March 2026 that the ordered assessment will be made
      And the local authority decided on 12 May 2026 not to issue an EHC plan
      When the duties are decided on 1 July 2026
      Then the duty "appeal.order_assessment_notice" for the tribunal order is late, due on 16 March 2026
      And the duty "appeal.order_no_plan_notice" for the tribunal order is late, due on 11 May 2026
      And the duty cites "SEND Regulations 2014 reg 44(2)(b)(i)"
      And no duty "appeal.order_final_plan" applies

    Scenario: A decision not to issue a plan on the last of the 10 weeks is met
      Given the Tribunal ordered an assessment on 2 March 2026
      And the local authority decided on 11 May 2026 not to issue an EHC plan
      When the duties are decided on 1 July 2026
      Then the duty "appeal.order_no_plan_notice" for the tribunal order is met, due on 11 May 2026

    Scenario: The finalised plan a day after the 14 weeks is late
      Given the Tribunal ordered an assessment on 2 March 2026
      And the final EHC plan issued on 9 June 2026
      When the duties are decided on 1 July 2026
      Then the duty "appeal.order_final_plan" for the tribunal order is late, due on 8 June 2026

  Rule: appeal.order_draft_plan and appeal.order_made_plan

    Scenario: After an order to make and maintain a plan, the draft is in time and the final plan late
      Given the Tribunal ordered a plan to be made and maintained on 2 March 2026
      And the draft EHC plan issued on 6 April 2026
      And the final EHC plan issued on 19 May 2026
      When the duties are decided on 1 July 2026
      Then the duty "appeal.order_draft_plan" for the tribunal order is met, due on 6 April 2026
      And the duty cites "SEND Regulations 2014 reg 44(2)(c)(i)"
      And the duty "appeal.order_made_plan" for the tribunal order is late, due on 18 May 2026
      And the duty cites "SEND Regulations 2014 reg 44(2)(c)(ii)"

    Scenario: The draft a day late and the final plan on the last day
      Given the Tribunal ordered a plan to be made and maintained on 2 March 2026
      And the draft EHC plan issued on 7 April 2026
      And the final EHC plan issued on 18 May 2026
      When the duties are decided on 1 July 2026
      Then the duty "appeal.order_draft_plan" for the tribunal order is late, due on 6 April 2026
      And the duty "appeal.order_made_plan" for the tribunal order is met, due on 18 May 2026

  Rule: appeal.order_amended_plan and appeal.order_school_named

    Scenario Outline: The amended plan after an order to amend
      Given the Tribunal ordered <order> on 2 March 2026
      And the amended EHC plan issued on <issued>
      When the duties are decided on 1 July 2026
      Then the duty "<rule>" for the tribunal order is <status>, due on <due>
      And the duty cites "<clause>"

      Examples:
        | order                                   | issued        | rule                        | status | due           | clause                            |
        | the plan to be amended                  | 6 April 2026  | appeal.order_amended_plan   | met    | 6 April 2026  | SEND Regulations 2014 reg 44(2)(e) |
        | the plan to be amended                  | 7 April 2026  | appeal.order_amended_plan   | late   | 6 April 2026  | SEND Regulations 2014 reg 44(2)(e) |
        | only the school in the plan to be changed | 16 March 2026 | appeal.order_school_named | met    | 16 March 2026 | SEND Regulations 2014 reg 44(2)(f) |
        | only the school in the plan to be changed | 17 March 2026 | appeal.order_school_named | late   | 16 March 2026 | SEND Regulations 2014 reg 44(2)(f) |

    Scenario: A dismissed appeal orders nothing with a time limit
      Given the Tribunal dismissed the appeal on 2 March 2026
      When the duties are decided on 1 July 2026
      Then no duty "appeal.order_amended_plan" applies
      And no duty "appeal.order_assessment_notice" applies

  Rule: ehc.transfer_first_review - the new authority's first review of a transferred plan

    Scenario Outline: The 3 months after the transfer end later than the 12 months
      Given the new local authority took over the plan on Wednesday 1 April 2026, its 12-month review period ending on 31 May 2026
      And a review meeting held on <held>
      When the duties are decided on 1 September 2026
      Then the duty "ehc.transfer_first_review" for the transferred plan is <status>, due on 30 June 2026
      And the duty cites "SEND Regulations 2014 reg 15(5)"

      Examples:
        | held         | status |
        | 30 June 2026 | met    |
        | 1 July 2026  | late   |

    Scenario: The 12 months end later: the review is due on their last day
      Given the new local authority took over the plan on 1 April 2026, its 12-month review period ending on 14 September 2026
      When the duties are decided on 15 September 2026
      Then the duty "ehc.transfer_first_review" for the transferred plan is overdue, due on 14 September 2026

  Rule: exclusion.parent_notice - the notice to the parent on the first day

    Scenario Outline: The notice on the first day of the exclusion and the day after
      Given a suspension of 3 school days starting on Monday 1 June 2026
      And the parent given notice of the exclusion on <given>
      When the duties are decided on 1 July 2026
      Then the duty "exclusion.parent_notice" for the suspension is <status>, due on 1 June 2026
      And the school holds the duty
      And the duty cites "SI 2007/1870 reg 6(2)"
      And the duty cites "SI 2012/1033 Sch 2 para 8"

      Examples:
        | given       | status |
        | 1 June 2026 | met    |
        | 2 June 2026 | late   |

  Rule: exclusion.review_panel and exclusion.reconsideration - the independent review

    Scenario Outline: The review panel around the fifteenth school day after the application
      Given an independent review applied for on Monday 1 June 2026, arranged by the local authority
      And the independent review panel met on <met>
      When the duties are decided on 1 July 2026
      Then the duty "exclusion.review_panel" for the review application is <status>, due on 22 June 2026
      And the local authority holds the duty
      And the duty cites "SI 2012/1033 reg 16(1)"
      And the duty cites "SI 2012/1033 Sch 1 para 1(1)"

      Examples:
        | met          | status |
        | 19 June 2026 | met    |
        | 22 June 2026 | met    |
        | 23 June 2026 | late   |

    Scenario Outline: Reconsideration within 10 school days of the panel's decision
      Given an independent review applied for on 1 May 2026, arranged by the Academy
      And the panel's decision notified on Monday 1 June 2026, which directed reconsideration
      And the exclusion reconsidered on <reconsidered>
      When the duties are decided on 1 July 2026
      Then the duty "exclusion.reconsideration" for the panel decision is <status>, due on 15 June 2026
      And the school holds the duty
      And the duty cites "SI 2012/1033 reg 17(1)"

      Examples:
        | reconsidered | status |
        | 15 June 2026 | met    |
        | 16 June 2026 | late   |

    Scenario: A panel that upheld the decision asks for no reconsideration
      Given an independent review applied for on 1 May 2026, arranged by the Academy
      And the panel's decision notified on 1 June 2026, which upheld the decision
      When the duties are decided on 1 July 2026
      Then no duty "exclusion.reconsideration" applies

  Rule: health.education_provision - education for a child absent because of health needs

    Scenario Outline: Education arranged around the fifteenth school day of the absence
      Given the child absent from school because of health needs from Monday 1 June 2026
      And education arranged by the local authority started on <started>
      When the duties are decided on 15 July 2026
      Then the duty "health.education_provision" for the health absence is <status>, due on 19 June 2026
      And the local authority holds the duty
      And the duty cites "Education Act 1996 s19(1)"
      And the duty cites "Arranging education for children who cannot attend school because of health needs"

      Examples:
        | started      | status |
        | 18 June 2026 | met    |
        | 19 June 2026 | met    |
        | 22 June 2026 | late   |

    Scenario: A child back at school by the fifteenth school day has no finding
      Given the child absent from school because of health needs from 1 June 2026
      And the child back at school on 19 June 2026
      When the duties are decided on 15 July 2026
      Then no duty "health.education_provision" applies

  Rule: ehc.preparing_for_adulthood - a Year 9 review that records nothing is not evidenced

    Scenario: A Year 9 review silent about preparing for adulthood is breached
      Given a young person born on 14 March 2011
      And a review meeting held on 12 May 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.preparing_for_adulthood" for the review meeting is breached
      And the duty cites "SEND Regulations 2014 reg 20(6)"
      And the duty cites "SEND Regulations 2014 reg 21(6)"

    Scenario: A Year 8 review silent about it is not judged
      Given a young person born on 14 March 2011
      And a review meeting held on 31 August 2024
      When the duties are decided on 1 June 2025
      Then no duty "ehc.preparing_for_adulthood" applies
